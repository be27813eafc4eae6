build/cc-native/lenet train --data data/mnist --arch paper-avgpool --passes 10 --seed 1  --model build/ablation/avgpool-seed1.model --log figures/data/ablation/avgpool-seed1.csv
