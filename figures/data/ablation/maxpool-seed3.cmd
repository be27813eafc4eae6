build/cc-native/lenet train --data data/mnist --arch paper-maxpool --passes 10 --seed 3  --model build/ablation/maxpool-seed3.model --log figures/data/ablation/maxpool-seed3.csv
