build/cc-native/lenet train --data data/mnist --arch paper-avgpool --passes 10 --seed 3  --model build/ablation/avgpool-seed3.model --log figures/data/ablation/avgpool-seed3.csv
